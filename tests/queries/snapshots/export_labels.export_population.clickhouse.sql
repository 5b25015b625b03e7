SELECT `account_scores`.`account_id`, `account_scores`.`campaign_id`, `account_scores`.`score`, `account_scores`.`alerting`, `account_scores`.`allowlisted`, `account_scores`.`calls`, `seen`.`first_seen`, `seen`.`last_seen` 
FROM `account_scores` LEFT OUTER JOIN (SELECT `requests`.`account_id` AS `account_id`, min(`requests`.`ts`) AS `first_seen`, max(`requests`.`ts`) AS `last_seen` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 GROUP BY `requests`.`account_id`) AS `seen` ON `seen`.`account_id` = `account_scores`.`account_id` 
WHERE `account_scores`.`run_id` = :run_id_1 ORDER BY `account_scores`.`account_id`
