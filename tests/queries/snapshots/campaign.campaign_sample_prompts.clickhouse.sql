WITH `per_tpl` AS 
(SELECT `requests`.`template_fp` AS `template_fp`, min(`requests`.`ts`) AS `first_ts`, max(`requests`.`ts`) AS `last_ts`, count(*) AS `n` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1 ORDER BY `account_scores`.`calls` DESC, `account_scores`.`account_id`
 LIMIT :param_1) AND `requests`.`prompt_chars` IS NOT NULL GROUP BY `requests`.`template_fp` ORDER BY count(*) DESC, `requests`.`template_fp`
 LIMIT :param_2)
 SELECT `picked`.`ts`, `picked`.`account_id`, `picked`.`model`, `picked`.`capability`, `picked`.`template_fp`, `picked`.`prompt` 
FROM (SELECT `requests`.`ts` AS `ts`, `requests`.`account_id` AS `account_id`, `requests`.`model` AS `model`, `requests`.`capability` AS `capability`, `requests`.`template_fp` AS `template_fp`, `requests`.`prompt` AS `prompt`, `per_tpl`.`n` AS `n`, row_number() OVER (PARTITION BY `requests`.`template_fp`, `requests`.`ts` ORDER BY `requests`.`request_id`) AS `k` 
FROM `requests` INNER JOIN `per_tpl` ON `per_tpl`.`template_fp` = `requests`.`template_fp` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1 ORDER BY `account_scores`.`calls` DESC, `account_scores`.`account_id`
 LIMIT :param_1) AND `requests`.`prompt_chars` IS NOT NULL AND `requests`.`ts` IN (`per_tpl`.`first_ts`, `per_tpl`.`last_ts`) AND `requests`.`prompt` IS NOT NULL) AS `picked` 
WHERE `picked`.`k` = :k_1 ORDER BY `picked`.`n` DESC, `picked`.`template_fp`, `picked`.`ts`
 LIMIT :param_3
