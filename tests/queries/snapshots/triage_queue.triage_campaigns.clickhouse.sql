SELECT `campaigns`.`campaign_id` AS `entity_id`, `campaigns`.`score`, `campaigns`.`cluster_id`, `campaigns`.`n_accounts`, `campaigns`.`n_keys`, `campaigns`.`calls`, `campaigns`.`output_tokens`, `campaigns`.`first_seen`, `campaigns`.`last_seen`, `campaigns`.`reasons` 
FROM `campaigns` 
WHERE `campaigns`.`run_id` = :run_id_1 AND `campaigns`.`score` >= :score_1 ORDER BY `campaigns`.`score` DESC, `campaigns`.`campaign_id`
