SELECT toStartOfDay(`requests`.`ts`) AS `day`, count(*) AS `calls`, sum(`requests`.`output_tokens`) AS `output_tokens`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) GROUP BY `day` ORDER BY `day`
