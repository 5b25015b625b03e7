SELECT score_runs.run_id, score_runs.window_start, score_runs.window_end 
FROM score_runs 
WHERE score_runs.run_id = %(run_id_1)s::VARCHAR
