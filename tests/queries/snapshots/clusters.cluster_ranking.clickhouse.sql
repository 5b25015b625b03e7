SELECT `clusters`.`cluster_id`, `clusters`.`score`, `clusters`.`n_accounts`, `clusters`.`n_keys`, `clusters`.`calls`, `clusters`.`output_tokens`, `campaigns`.`campaign_id`, `clusters`.`reasons` 
FROM `clusters` LEFT OUTER JOIN `campaigns` ON `campaigns`.`cluster_id` = `clusters`.`cluster_id` AND `campaigns`.`run_id` = `clusters`.`run_id` 
WHERE `clusters`.`run_id` = :run_id_1 AND (`clusters`.`cluster_id` NOT IN (SELECT `account_scores`.`cluster_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_2 AND `account_scores`.`cluster_id` IS NOT NULL GROUP BY `account_scores`.`cluster_id` 
HAVING min(CASE WHEN (`account_scores`.`allowlisted` IS true) THEN :param_1 ELSE :param_2 END) = :min_1)) ORDER BY `clusters`.`score` DESC, `clusters`.`cluster_id`
 LIMIT :param_3
