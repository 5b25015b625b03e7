SELECT `per_key`.`hour`, quantile(:quantile_1)(`per_key`.`calls`) AS `p50`, quantile(:quantile_2)(`per_key`.`calls`) AS `p90`, quantile(:quantile_3)(`per_key`.`calls`) AS `p99`, count(*) AS `active_keys` 
FROM (SELECT toStartOfHour(`requests`.`ts`) AS `hour`, `requests`.`api_key_id` AS `api_key_id`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 GROUP BY toStartOfHour(`requests`.`ts`), `requests`.`api_key_id`) AS `per_key` GROUP BY `per_key`.`hour` ORDER BY `per_key`.`hour`
