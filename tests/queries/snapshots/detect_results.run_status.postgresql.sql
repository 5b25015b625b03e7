SELECT score_runs.run_id, score_runs.status 
FROM score_runs 
WHERE score_runs.run_id = %(run_id_1)s::VARCHAR
