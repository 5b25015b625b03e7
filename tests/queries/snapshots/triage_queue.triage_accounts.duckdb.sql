SELECT account_scores.account_id AS entity_id, account_scores.score, account_scores.campaign_id, account_scores.cluster_id, account_scores.allowlisted, account_scores.calls, account_scores.output_tokens, account_scores.n_keys, account_scores.reasons 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.score >= %(score_1)s AND account_scores.campaign_id = %(campaign_id_1)s ORDER BY account_scores.score DESC, account_scores.account_id
