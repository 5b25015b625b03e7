SELECT count(distinct(`requests`.`account_id`)) AS `n` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2
