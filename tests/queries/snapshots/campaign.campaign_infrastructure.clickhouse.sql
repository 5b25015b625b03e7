SELECT `ranked`.`facet`, `ranked`.`value`, `ranked`.`calls`, `ranked`.`accounts` 
FROM (SELECT `facets`.`facet` AS `facet`, `facets`.`value` AS `value`, `facets`.`calls` AS `calls`, `facets`.`accounts` AS `accounts`, row_number() OVER (PARTITION BY `facets`.`facet` ORDER BY `facets`.`calls` DESC, `facets`.`value`) AS `rank` 
FROM (SELECT :param_1 AS `facet`, CAST(`requests`.`ip_prefix` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`ip_prefix` IS NOT NULL GROUP BY `requests`.`ip_prefix` UNION ALL SELECT :param_2 AS `facet`, CAST(`requests`.`asn` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`asn` IS NOT NULL GROUP BY `requests`.`asn` UNION ALL SELECT :param_3 AS `facet`, CAST(`requests`.`ip_class` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`ip_class` IS NOT NULL GROUP BY `requests`.`ip_class` UNION ALL SELECT :param_4 AS `facet`, CAST(`requests`.`country` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`country` IS NOT NULL GROUP BY `requests`.`country` UNION ALL SELECT :param_5 AS `facet`, CAST(`requests`.`user_agent` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`user_agent` IS NOT NULL GROUP BY `requests`.`user_agent` UNION ALL SELECT :param_6 AS `facet`, CAST(`requests`.`system_prompt_hash` AS VARCHAR) AS `value`, count(*) AS `calls`, count(distinct(`requests`.`account_id`)) AS `accounts` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`account_id` IN (SELECT `account_scores`.`account_id` 
FROM `account_scores` 
WHERE `account_scores`.`run_id` = :run_id_1 AND `account_scores`.`campaign_id` = :campaign_id_1) AND `requests`.`system_prompt_hash` IS NOT NULL GROUP BY `requests`.`system_prompt_hash`) AS `facets`) AS `ranked` 
WHERE `ranked`.`rank` <= :rank_1 ORDER BY `ranked`.`facet`, `ranked`.`calls` DESC
