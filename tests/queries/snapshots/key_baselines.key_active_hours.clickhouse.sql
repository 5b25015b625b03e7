SELECT toStartOfDay(`requests`.`ts`) AS `day`, toHour(`requests`.`ts`) AS `hour_of_day`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 AND `requests`.`model` = :model_1 AND `requests`.`api_key_id` = :api_key_id_1 GROUP BY toStartOfDay(`requests`.`ts`), toHour(`requests`.`ts`) ORDER BY toStartOfDay(`requests`.`ts`), toHour(`requests`.`ts`)
