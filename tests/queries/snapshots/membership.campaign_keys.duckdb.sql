SELECT key_scores.api_key_id, key_scores.account_id 
FROM key_scores JOIN account_scores ON account_scores.run_id = key_scores.run_id AND account_scores.account_id = key_scores.account_id 
WHERE key_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s ORDER BY key_scores.api_key_id
