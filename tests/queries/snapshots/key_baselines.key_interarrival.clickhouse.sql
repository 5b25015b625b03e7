SELECT CASE WHEN (`gaps`.`gap_s` < :gap_s_1) THEN :param_1 WHEN (`gaps`.`gap_s` < :gap_s_2) THEN :param_2 WHEN (`gaps`.`gap_s` < :gap_s_3) THEN :param_3 WHEN (`gaps`.`gap_s` < :gap_s_4) THEN :param_4 WHEN (`gaps`.`gap_s` < :gap_s_5) THEN :param_5 WHEN (`gaps`.`gap_s` < :gap_s_6) THEN :param_6 WHEN (`gaps`.`gap_s` < :gap_s_7) THEN :param_7 ELSE :param_8 END AS `bin`, count(*) AS `calls` 
FROM (SELECT toFloat64(toUnixTimestamp64Micro(`requests`.`ts`)) / 1e6 - lagInFrame(toNullable(toFloat64(toUnixTimestamp64Micro(`requests`.`ts`)) / 1e6)) OVER (ORDER BY `requests`.`ts`) AS `gap_s` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1) AS `gaps` 
WHERE `gaps`.`gap_s` IS NOT NULL GROUP BY `bin` ORDER BY `bin`
