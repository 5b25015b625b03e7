SELECT clusters.cluster_id AS entity_id, clusters.score, clusters.n_accounts, clusters.n_keys, clusters.calls, clusters.output_tokens, clusters.reasons 
FROM clusters 
WHERE clusters.run_id = %(run_id_1)s AND clusters.score >= %(score_1)s ORDER BY clusters.score DESC, clusters.cluster_id
