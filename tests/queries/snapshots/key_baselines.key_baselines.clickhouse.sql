SELECT toStartOfHour(`requests`.`ts`) AS `hour`, count(*) AS `calls`, sum(`requests`.`output_tokens`) AS `output_tokens` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1 GROUP BY toStartOfHour(`requests`.`ts`) ORDER BY toStartOfHour(`requests`.`ts`)
