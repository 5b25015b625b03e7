SELECT toStartOfDay(`rollup_key_hours`.`hour`) AS `day`, toHour(`rollup_key_hours`.`hour`) AS `hour_of_day`, CAST(coalesce(sum(`rollup_key_hours`.`calls`), :coalesce_1) AS BIGINT) AS `calls` 
FROM `rollup_key_hours` 
WHERE `rollup_key_hours`.`hour` >= :hour_1 AND `rollup_key_hours`.`hour` < :hour_2 AND `rollup_key_hours`.`model` = :model_1 AND `rollup_key_hours`.`api_key_id` = :api_key_id_1 GROUP BY toStartOfDay(`rollup_key_hours`.`hour`), toHour(`rollup_key_hours`.`hour`) ORDER BY toStartOfDay(`rollup_key_hours`.`hour`), toHour(`rollup_key_hours`.`hour`)
