SELECT `requests`.`model`, CASE WHEN (`requests`.`ts` >= (SELECT min(`api_keys`.`revoked_at`) AS `min_1` 
FROM `api_keys` 
WHERE `api_keys`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1))) THEN :param_1 ELSE :param_2 END AS `phase`, count(*) AS `exchanges`, sum(`requests`.`input_tokens`) AS `input_tokens`, sum(`requests`.`output_tokens`) AS `output_tokens`, (SELECT min(`api_keys`.`revoked_at`) AS `min_1` 
FROM `api_keys` 
WHERE `api_keys`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1)) AS `first_action` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) GROUP BY `requests`.`model`, `phase` ORDER BY `requests`.`model`, `phase`
