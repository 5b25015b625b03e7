SELECT `requests`.`api_key_id`, `requests`.`template_fp`, min(`requests`.`account_id`) AS `account_id`, count(*) AS `campaign_calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`template_fp` IN (__[POSTCOMPILE_template_fp_1]) GROUP BY `requests`.`api_key_id`, `requests`.`template_fp`
