SELECT key_scores.api_key_id, key_scores.account_id, key_scores.score, key_scores.calls 
FROM key_scores 
WHERE key_scores.run_id = %(run_id_1)s AND key_scores.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_2)s AND account_scores.cluster_id = %(cluster_id_1)s) ORDER BY key_scores.account_id, key_scores.api_key_id 
 LIMIT %(param_1)s
