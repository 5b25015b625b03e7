WITH `sums` AS 
(SELECT CAST(coalesce(sum(`rollup_key_hours`.`cap_reasoning`), :coalesce_1) AS BIGINT) AS `cap_reasoning`, CAST(coalesce(sum(`rollup_key_hours`.`cot_reasoning`), :coalesce_2) AS BIGINT) AS `cot_reasoning`, CAST(coalesce(sum(`rollup_key_hours`.`cap_coding`), :coalesce_3) AS BIGINT) AS `cap_coding`, CAST(coalesce(sum(`rollup_key_hours`.`cot_coding`), :coalesce_4) AS BIGINT) AS `cot_coding`, CAST(coalesce(sum(`rollup_key_hours`.`cap_agentic`), :coalesce_5) AS BIGINT) AS `cap_agentic`, CAST(coalesce(sum(`rollup_key_hours`.`cot_agentic`), :coalesce_6) AS BIGINT) AS `cot_agentic`, CAST(coalesce(sum(`rollup_key_hours`.`cap_vision`), :coalesce_7) AS BIGINT) AS `cap_vision`, CAST(coalesce(sum(`rollup_key_hours`.`cot_vision`), :coalesce_8) AS BIGINT) AS `cot_vision`, CAST(coalesce(sum(`rollup_key_hours`.`cap_rubric`), :coalesce_9) AS BIGINT) AS `cap_rubric`, CAST(coalesce(sum(`rollup_key_hours`.`cot_rubric`), :coalesce_10) AS BIGINT) AS `cot_rubric`, CAST(coalesce(sum(`rollup_key_hours`.`cap_censorship`), :coalesce_11) AS BIGINT) AS `cap_censorship`, CAST(coalesce(sum(`rollup_key_hours`.`cot_censorship`), :coalesce_12) AS BIGINT) AS `cot_censorship`, CAST(coalesce(sum(`rollup_key_hours`.`cap_writing`), :coalesce_13) AS BIGINT) AS `cap_writing`, CAST(coalesce(sum(`rollup_key_hours`.`cot_writing`), :coalesce_14) AS BIGINT) AS `cot_writing`, CAST(coalesce(sum(`rollup_key_hours`.`cap_other`), :coalesce_15) AS BIGINT) AS `cap_other`, CAST(coalesce(sum(`rollup_key_hours`.`cot_other`), :coalesce_16) AS BIGINT) AS `cot_other` 
FROM `rollup_key_hours` 
WHERE `rollup_key_hours`.`hour` >= :hour_1 AND `rollup_key_hours`.`hour` < :hour_2 AND `rollup_key_hours`.`model` = :model_1 AND `rollup_key_hours`.`api_key_id` = :api_key_id_1)
 SELECT `caps`.`capability`, `caps`.`calls`, `caps`.`cot_calls` 
FROM (SELECT :param_1 AS `capability`, `sums`.`cap_reasoning` AS `calls`, `sums`.`cot_reasoning` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_2 AS `capability`, `sums`.`cap_coding` AS `calls`, `sums`.`cot_coding` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_3 AS `capability`, `sums`.`cap_agentic` AS `calls`, `sums`.`cot_agentic` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_4 AS `capability`, `sums`.`cap_vision` AS `calls`, `sums`.`cot_vision` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_5 AS `capability`, `sums`.`cap_rubric` AS `calls`, `sums`.`cot_rubric` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_6 AS `capability`, `sums`.`cap_censorship` AS `calls`, `sums`.`cot_censorship` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_7 AS `capability`, `sums`.`cap_writing` AS `calls`, `sums`.`cot_writing` AS `cot_calls` 
FROM `sums` UNION ALL SELECT :param_8 AS `capability`, `sums`.`cap_other` AS `calls`, `sums`.`cot_other` AS `cot_calls` 
FROM `sums`) AS `caps` 
WHERE `caps`.`calls` > :calls_1 ORDER BY `caps`.`calls` DESC, `caps`.`capability`
