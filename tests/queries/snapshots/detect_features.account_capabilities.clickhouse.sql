SELECT `requests`.`account_id`, coalesce(`requests`.`capability`, :param_1) AS `capability`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 GROUP BY `requests`.`account_id`, coalesce(`requests`.`capability`, :param_1)
