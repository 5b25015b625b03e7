SELECT `requests`.`account_id`, toStartOfHour(`requests`.`ts`) AS `hour`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `requests`.`account_id` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_3 AND `requests`.`ts` < :ts_4 AND `requests`.`model` = :model_2 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) GROUP BY `requests`.`account_id` ORDER BY count(*) DESC, `requests`.`account_id`
 LIMIT :param_1) GROUP BY `requests`.`account_id`, toStartOfHour(`requests`.`ts`) ORDER BY `requests`.`account_id`, toStartOfHour(`requests`.`ts`)
