SELECT `campaigns`.`campaign_id`, `campaigns`.`cluster_id`, `campaigns`.`score`, `campaigns`.`n_accounts`, `campaigns`.`n_keys`, `campaigns`.`calls`, `campaigns`.`output_tokens`, `campaigns`.`first_seen`, `campaigns`.`last_seen`, `campaigns`.`reasons` 
FROM `campaigns` 
WHERE `campaigns`.`run_id` = :run_id_1 AND (`campaigns`.`last_seen` IS NULL OR `campaigns`.`last_seen` >= :last_seen_1) AND (`campaigns`.`first_seen` IS NULL OR `campaigns`.`first_seen` < :first_seen_1) ORDER BY `campaigns`.`score` DESC, `campaigns`.`campaign_id`
 LIMIT :param_1
