SELECT cluster_links.account_id, cluster_links.edge_type, cluster_links.value, cluster_links.weight 
FROM cluster_links 
WHERE cluster_links.run_id = %(run_id_1)s::VARCHAR AND cluster_links.cluster_id = %(cluster_id_1)s::VARCHAR AND cluster_links.edge_type IN (__[POSTCOMPILE_edge_type_1]) ORDER BY cluster_links.account_id, cluster_links.edge_type, cluster_links.value 
 LIMIT %(param_1)s::INTEGER
