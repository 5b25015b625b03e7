SELECT x.edge_type AS type_a, x.value AS value_a, y.edge_type AS type_b, y.value AS value_b, count(*) AS accounts 
FROM (SELECT DISTINCT cluster_links.account_id AS account_id, cluster_links.edge_type AS edge_type, cluster_links.value AS value 
FROM cluster_links JOIN (SELECT cluster_attribute_counts.edge_type AS edge_type, cluster_attribute_counts.value AS value, cluster_attribute_counts.accounts AS accounts 
FROM cluster_attribute_counts 
WHERE cluster_attribute_counts.run_id = %(run_id_1)s AND cluster_attribute_counts.cluster_id = %(cluster_id_1)s AND cluster_attribute_counts.edge_type IN (__[POSTCOMPILE_edge_type_1]) ORDER BY cluster_attribute_counts.accounts DESC, cluster_attribute_counts.edge_type, cluster_attribute_counts.value 
 LIMIT %(param_1)s) AS top_attrs ON top_attrs.edge_type = cluster_links.edge_type AND top_attrs.value = cluster_links.value 
WHERE cluster_links.run_id = %(run_id_2)s AND cluster_links.cluster_id = %(cluster_id_2)s AND cluster_links.edge_type IN (__[POSTCOMPILE_edge_type_2])) AS x JOIN (SELECT DISTINCT cluster_links.account_id AS account_id, cluster_links.edge_type AS edge_type, cluster_links.value AS value 
FROM cluster_links JOIN (SELECT cluster_attribute_counts.edge_type AS edge_type, cluster_attribute_counts.value AS value, cluster_attribute_counts.accounts AS accounts 
FROM cluster_attribute_counts 
WHERE cluster_attribute_counts.run_id = %(run_id_1)s AND cluster_attribute_counts.cluster_id = %(cluster_id_1)s AND cluster_attribute_counts.edge_type IN (__[POSTCOMPILE_edge_type_1]) ORDER BY cluster_attribute_counts.accounts DESC, cluster_attribute_counts.edge_type, cluster_attribute_counts.value 
 LIMIT %(param_1)s) AS top_attrs ON top_attrs.edge_type = cluster_links.edge_type AND top_attrs.value = cluster_links.value 
WHERE cluster_links.run_id = %(run_id_2)s AND cluster_links.cluster_id = %(cluster_id_2)s AND cluster_links.edge_type IN (__[POSTCOMPILE_edge_type_2])) AS y ON x.account_id = y.account_id 
WHERE (x.edge_type || %(param_2)s || x.value) < (y.edge_type || %(param_3)s || y.value) GROUP BY x.edge_type, x.value, y.edge_type, y.value ORDER BY count(*) DESC
