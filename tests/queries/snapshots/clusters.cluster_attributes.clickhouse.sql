SELECT `cluster_attribute_counts`.`edge_type`, `cluster_attribute_counts`.`value`, `cluster_attribute_counts`.`accounts` 
FROM `cluster_attribute_counts` 
WHERE `cluster_attribute_counts`.`run_id` = :run_id_1 AND `cluster_attribute_counts`.`cluster_id` = :cluster_id_1 AND `cluster_attribute_counts`.`edge_type` IN (__[POSTCOMPILE_edge_type_1]) ORDER BY `cluster_attribute_counts`.`accounts` DESC, `cluster_attribute_counts`.`edge_type`, `cluster_attribute_counts`.`value`
 LIMIT :param_1
