SELECT `per_key`.`hour`, quantile(:quantile_1)(`per_key`.`calls`) AS `p50`, quantile(:quantile_2)(`per_key`.`calls`) AS `p90`, quantile(:quantile_3)(`per_key`.`calls`) AS `p99`, count(*) AS `active_keys` 
FROM (SELECT `rollup_key_hours`.`hour` AS `hour`, `rollup_key_hours`.`api_key_id` AS `api_key_id`, CAST(coalesce(sum(`rollup_key_hours`.`calls`), :coalesce_1) AS BIGINT) AS `calls` 
FROM `rollup_key_hours` 
WHERE `rollup_key_hours`.`hour` >= :hour_1 AND `rollup_key_hours`.`hour` < :hour_2 AND `rollup_key_hours`.`model` = :model_1 GROUP BY `rollup_key_hours`.`hour`, `rollup_key_hours`.`api_key_id`) AS `per_key` GROUP BY `per_key`.`hour` ORDER BY `per_key`.`hour`
