SELECT coalesce(`requests`.`template_fp`, :param_1) AS `template_fp`, count(*) AS `calls`, (count(*) * :count_1) / nullif((SELECT count(*) AS `count_2` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1), :nullif_1) AS `share` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1 GROUP BY `template_fp` ORDER BY count(*) DESC, `template_fp`
 LIMIT :param_2
