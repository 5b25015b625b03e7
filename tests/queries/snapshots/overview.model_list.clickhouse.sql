SELECT `rollup_key_hours`.`model`, CAST(coalesce(sum(`rollup_key_hours`.`calls`), :coalesce_1) AS BIGINT) AS `calls` 
FROM `rollup_key_hours` GROUP BY `rollup_key_hours`.`model` ORDER BY CAST(coalesce(sum(`rollup_key_hours`.`calls`), :coalesce_2) AS BIGINT) DESC, `rollup_key_hours`.`model`
