SELECT toStartOfDay(`campaign_usage_hours`.`hour`) AS `day`, `campaign_usage_hours`.`model`, sum(`campaign_usage_hours`.`calls`) AS `calls` 
FROM `campaign_usage_hours` 
WHERE `campaign_usage_hours`.`run_id` = :run_id_1 AND `campaign_usage_hours`.`hour` >= :hour_1 AND `campaign_usage_hours`.`hour` < :hour_2 AND `campaign_usage_hours`.`campaign_id` = :campaign_id_1 AND `campaign_usage_hours`.`model` = :model_1 GROUP BY toStartOfDay(`campaign_usage_hours`.`hour`), `campaign_usage_hours`.`model` ORDER BY toStartOfDay(`campaign_usage_hours`.`hour`), `campaign_usage_hours`.`model`
