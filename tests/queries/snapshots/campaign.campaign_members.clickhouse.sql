SELECT `account_scores`.`account_id`, `account_scores`.`score`, `account_scores`.`n_keys`, `account_scores`.`calls`, `account_scores`.`output_tokens`, `accounts`.`created_at`, `accounts`.`country`, `accounts`.`verification`, `accounts`.`email_domain` 
FROM `account_scores` LEFT OUTER JOIN `accounts` ON `accounts`.`account_id` = `account_scores`.`account_id` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1 ORDER BY `account_scores`.`score` DESC, `account_scores`.`account_id`
 LIMIT :param_1
