SELECT account_scores.account_id, account_scores.cluster_id, account_scores.score, account_scores.alerting, account_scores.allowlisted, account_scores.calls, account_scores.output_tokens, account_scores.n_keys, keys.max_key_score, keys.mean_key_extraction_share, account_scores.features 
FROM account_scores LEFT OUTER JOIN (SELECT key_scores.account_id AS account_id, max(key_scores.score) AS max_key_score, avg(key_scores.extraction_share) AS mean_key_extraction_share 
FROM key_scores 
WHERE key_scores.run_id = %(run_id_1)s GROUP BY key_scores.account_id) AS keys ON keys.account_id = account_scores.account_id 
WHERE account_scores.run_id = %(run_id_2)s ORDER BY account_scores.account_id
