SELECT `score_runs`.`run_id`, `score_runs`.`started_at`, `score_runs`.`finished_at`, `score_runs`.`window_start`, `score_runs`.`window_end` 
FROM `score_runs` 
WHERE `score_runs`.`status` = :status_1 ORDER BY `score_runs`.`finished_at` DESC, `score_runs`.`run_id` DESC
 LIMIT :param_1
