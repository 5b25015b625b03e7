SELECT coalesce(`requests`.`capability`, :param_1) AS `capability`, count(*) AS `calls`, count(CASE WHEN (`requests`.`cot` IS true) THEN :param_2 END) AS `cot_calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1 GROUP BY `capability` ORDER BY count(*) DESC
