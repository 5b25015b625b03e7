SELECT `cluster_links`.`edge_type`, count(distinct(`cluster_links`.`account_id`)) AS `accounts`, count(distinct(`cluster_links`.`value`)) AS `values` 
FROM `cluster_links` 
WHERE `cluster_links`.`run_id` = :run_id_1 AND `cluster_links`.`cluster_id` = :cluster_id_1 GROUP BY `cluster_links`.`edge_type` ORDER BY count(distinct(`cluster_links`.`account_id`)) DESC, `cluster_links`.`edge_type`
