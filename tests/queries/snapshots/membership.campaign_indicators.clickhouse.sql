SELECT `campaigns`.`campaign_id`, `campaigns`.`indicators`, `campaigns`.`run_id` 
FROM `campaigns` INNER JOIN `score_runs` ON `score_runs`.`run_id` = `campaigns`.`run_id` 
WHERE `score_runs`.`status` = :status_1 AND `campaigns`.`campaign_id` IN (__[POSTCOMPILE_campaign_id_1]) ORDER BY `campaigns`.`campaign_id`, `score_runs`.`finished_at` DESC
