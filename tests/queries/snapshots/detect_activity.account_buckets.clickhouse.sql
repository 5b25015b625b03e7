SELECT `requests`.`account_id`, CAST(floor(toFloat64(toUnixTimestamp64Micro(`requests`.`ts`)) / 1e6 / :param_1) AS BIGINT) AS `bucket`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 GROUP BY `requests`.`account_id`, CAST(floor(toFloat64(toUnixTimestamp64Micro(`requests`.`ts`)) / 1e6 / :param_1) AS BIGINT)
