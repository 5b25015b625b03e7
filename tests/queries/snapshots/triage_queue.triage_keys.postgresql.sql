SELECT key_scores.api_key_id AS entity_id, key_scores.score, key_scores.account_id, account_scores.campaign_id, key_scores.extraction_share, key_scores.allowlisted, key_scores.calls, key_scores.output_tokens, key_scores.reasons 
FROM key_scores LEFT OUTER JOIN account_scores ON account_scores.run_id = key_scores.run_id AND account_scores.account_id = key_scores.account_id 
WHERE key_scores.run_id = %(run_id_1)s::VARCHAR AND key_scores.score >= %(score_1)s AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR ORDER BY key_scores.score DESC, key_scores.api_key_id
