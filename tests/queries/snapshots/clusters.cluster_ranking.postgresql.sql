SELECT clusters.cluster_id, clusters.score, clusters.n_accounts, clusters.n_keys, clusters.calls, clusters.output_tokens, campaigns.campaign_id, clusters.reasons 
FROM clusters LEFT OUTER JOIN campaigns ON campaigns.cluster_id = clusters.cluster_id AND campaigns.run_id = clusters.run_id 
WHERE clusters.run_id = %(run_id_1)s::VARCHAR AND (clusters.cluster_id NOT IN (SELECT account_scores.cluster_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_2)s::VARCHAR AND account_scores.cluster_id IS NOT NULL GROUP BY account_scores.cluster_id 
HAVING min(CASE WHEN (account_scores.allowlisted IS true) THEN %(param_1)s::INTEGER ELSE %(param_2)s::INTEGER END) = %(min_1)s::INTEGER)) ORDER BY clusters.score DESC, clusters.cluster_id 
 LIMIT %(param_3)s::INTEGER
