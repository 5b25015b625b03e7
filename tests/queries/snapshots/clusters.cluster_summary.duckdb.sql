SELECT clusters.cluster_id, clusters.score, clusters.n_accounts, clusters.n_keys, clusters.calls, clusters.output_tokens, clusters.reasons, campaigns.campaign_id 
FROM clusters LEFT OUTER JOIN campaigns ON campaigns.cluster_id = clusters.cluster_id AND campaigns.run_id = clusters.run_id 
WHERE clusters.run_id = %(run_id_1)s AND clusters.cluster_id = %(cluster_id_1)s
