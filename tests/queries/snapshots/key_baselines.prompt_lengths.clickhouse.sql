WITH `sums` AS 
(SELECT CAST(coalesce(sum(`rollup_key_hours`.`len_0`), :coalesce_1) AS BIGINT) AS `len_0`, CAST(coalesce(sum(`rollup_key_hours`.`len_1`), :coalesce_2) AS BIGINT) AS `len_1`, CAST(coalesce(sum(`rollup_key_hours`.`len_2`), :coalesce_3) AS BIGINT) AS `len_2`, CAST(coalesce(sum(`rollup_key_hours`.`len_3`), :coalesce_4) AS BIGINT) AS `len_3`, CAST(coalesce(sum(`rollup_key_hours`.`len_4`), :coalesce_5) AS BIGINT) AS `len_4`, CAST(coalesce(sum(`rollup_key_hours`.`len_5`), :coalesce_6) AS BIGINT) AS `len_5`, CAST(coalesce(sum(`rollup_key_hours`.`len_6`), :coalesce_7) AS BIGINT) AS `len_6`, CAST(coalesce(sum(`rollup_key_hours`.`len_7`), :coalesce_8) AS BIGINT) AS `len_7` 
FROM `rollup_key_hours` 
WHERE `rollup_key_hours`.`hour` >= :hour_1 AND `rollup_key_hours`.`hour` < :hour_2 AND `rollup_key_hours`.`model` = :model_1 AND `rollup_key_hours`.`api_key_id` = :api_key_id_1)
 SELECT `bins`.`bin`, `bins`.`calls` 
FROM (SELECT :param_1 AS `bin`, `sums`.`len_0` AS `calls` 
FROM `sums` UNION ALL SELECT :param_2 AS `bin`, `sums`.`len_1` AS `calls` 
FROM `sums` UNION ALL SELECT :param_3 AS `bin`, `sums`.`len_2` AS `calls` 
FROM `sums` UNION ALL SELECT :param_4 AS `bin`, `sums`.`len_3` AS `calls` 
FROM `sums` UNION ALL SELECT :param_5 AS `bin`, `sums`.`len_4` AS `calls` 
FROM `sums` UNION ALL SELECT :param_6 AS `bin`, `sums`.`len_5` AS `calls` 
FROM `sums` UNION ALL SELECT :param_7 AS `bin`, `sums`.`len_6` AS `calls` 
FROM `sums` UNION ALL SELECT :param_8 AS `bin`, `sums`.`len_7` AS `calls` 
FROM `sums`) AS `bins` 
WHERE `bins`.`calls` > :calls_1 ORDER BY `bins`.`bin`
