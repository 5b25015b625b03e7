SELECT toStartOfHour(`requests`.`ts`) AS `hour`, `f`.`account_id` IS NOT NULL AS `flagged`, count(*) AS `calls`, sum(`requests`.`output_tokens`) AS `output_tokens` 
FROM `requests` LEFT OUTER JOIN (SELECT `account_scores`.`account_id` AS `account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`alerting` IS true) AS `f` ON `f`.`account_id` = `requests`.`account_id` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 GROUP BY toStartOfHour(`requests`.`ts`), `f`.`account_id` IS NOT NULL ORDER BY toStartOfHour(`requests`.`ts`)
