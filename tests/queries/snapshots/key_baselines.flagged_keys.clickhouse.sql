SELECT `key_scores`.`api_key_id`, `key_scores`.`account_id`, `key_scores`.`score`, `key_scores`.`extraction_share`, `key_scores`.`calls`, `key_scores`.`output_tokens`, `account_scores`.`cluster_id`, `account_scores`.`campaign_id`, `key_scores`.`allowlisted` 
FROM `key_scores` LEFT OUTER JOIN `account_scores` ON `account_scores`.`account_id` = `key_scores`.`account_id` AND `account_scores`.`run_id` = `key_scores`.`run_id` 
WHERE `key_scores`.`run_id` = :run_id_1 AND (`key_scores`.`api_key_id` ILIKE :api_key_id_1 OR `key_scores`.`account_id` ILIKE :account_id_1) AND `key_scores`.`allowlisted` IS false ORDER BY `key_scores`.`score` DESC, `key_scores`.`api_key_id`
 LIMIT :param_1
