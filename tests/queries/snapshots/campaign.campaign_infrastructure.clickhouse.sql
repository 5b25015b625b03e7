SELECT `ranked`.`facet`, `ranked`.`value`, `ranked`.`calls`, `ranked`.`accounts` 
FROM (SELECT `campaign_infrastructure_top`.`facet` AS `facet`, `campaign_infrastructure_top`.`value` AS `value`, `campaign_infrastructure_top`.`calls` AS `calls`, `campaign_infrastructure_top`.`accounts` AS `accounts`, row_number() OVER (PARTITION BY `campaign_infrastructure_top`.`facet` ORDER BY `campaign_infrastructure_top`.`calls` DESC, `campaign_infrastructure_top`.`value`) AS `rank` 
FROM `campaign_infrastructure_top` 
WHERE `campaign_infrastructure_top`.`run_id` = :run_id_1 AND `campaign_infrastructure_top`.`campaign_id` = :campaign_id_1 AND `campaign_infrastructure_top`.`model` = :model_1) AS `ranked` 
WHERE `ranked`.`rank` <= :rank_1 ORDER BY `ranked`.`facet`, `ranked`.`calls` DESC, `ranked`.`value`
