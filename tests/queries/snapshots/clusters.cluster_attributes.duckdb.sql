SELECT cluster_links.edge_type, cluster_links.value, count(distinct(cluster_links.account_id)) AS accounts 
FROM cluster_links 
WHERE cluster_links.run_id = %(run_id_1)s AND cluster_links.cluster_id = %(cluster_id_1)s AND cluster_links.edge_type IN (__[POSTCOMPILE_edge_type_1]) GROUP BY cluster_links.edge_type, cluster_links.value ORDER BY count(distinct(cluster_links.account_id)) DESC, cluster_links.edge_type, cluster_links.value 
 LIMIT %(param_1)s
