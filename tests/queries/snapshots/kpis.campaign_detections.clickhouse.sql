SELECT `campaigns`.`campaign_id`, `campaigns`.`run_id`, `score_runs`.`finished_at`, `campaigns`.`reasons` 
FROM `campaigns` INNER JOIN `score_runs` ON `score_runs`.`run_id` = `campaigns`.`run_id` 
WHERE `score_runs`.`status` = :status_1 AND `score_runs`.`finished_at` IS NOT NULL ORDER BY `campaigns`.`campaign_id`, `score_runs`.`finished_at`
