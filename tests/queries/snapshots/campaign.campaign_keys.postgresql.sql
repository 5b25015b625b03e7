SELECT key_scores.api_key_id, key_scores.account_id, key_scores.score, key_scores.calls, key_scores.output_tokens, api_keys.created_at, api_keys.revoked_at 
FROM key_scores LEFT OUTER JOIN api_keys ON api_keys.api_key_id = key_scores.api_key_id 
WHERE key_scores.run_id = %(run_id_1)s::VARCHAR AND key_scores.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_2)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR) ORDER BY key_scores.score DESC, key_scores.api_key_id 
 LIMIT %(param_1)s::INTEGER
