SELECT `requests`.`account_id`, toStartOfHour(`requests`.`ts`) AS `hour`, count(*) AS `calls` 
FROM `requests` 
WHERE `requests`.`ts` >= :ts_1 AND `requests`.`ts` < :ts_2 GROUP BY `requests`.`account_id`, toStartOfHour(`requests`.`ts`)
