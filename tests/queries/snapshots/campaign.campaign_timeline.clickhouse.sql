SELECT `campaign_timeline_hours`.`account_id`, `campaign_timeline_hours`.`hour`, sum(`campaign_timeline_hours`.`calls`) AS `calls` 
FROM `campaign_timeline_hours` 
WHERE `campaign_timeline_hours`.`run_id` = :run_id_1 AND `campaign_timeline_hours`.`hour` >= :hour_1 AND `campaign_timeline_hours`.`hour` < :hour_2 AND `campaign_timeline_hours`.`campaign_id` = :campaign_id_1 AND `campaign_timeline_hours`.`model` = :model_1 AND `campaign_timeline_hours`.`account_id` IN (SELECT `campaign_timeline_hours`.`account_id` 
FROM `campaign_timeline_hours` 
WHERE `campaign_timeline_hours`.`run_id` = :run_id_1 AND `campaign_timeline_hours`.`hour` >= :hour_1 AND `campaign_timeline_hours`.`hour` < :hour_2 AND `campaign_timeline_hours`.`campaign_id` = :campaign_id_1 AND `campaign_timeline_hours`.`model` = :model_1 GROUP BY `campaign_timeline_hours`.`account_id` ORDER BY sum(`campaign_timeline_hours`.`calls`) DESC, `campaign_timeline_hours`.`account_id`
 LIMIT :param_1) GROUP BY `campaign_timeline_hours`.`account_id`, `campaign_timeline_hours`.`hour` ORDER BY `campaign_timeline_hours`.`account_id`, `campaign_timeline_hours`.`hour`
