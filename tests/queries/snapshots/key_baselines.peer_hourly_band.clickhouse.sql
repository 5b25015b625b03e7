SELECT `peer_band_hours`.`hour`, `peer_band_hours`.`p50`, `peer_band_hours`.`p90`, `peer_band_hours`.`p99`, `peer_band_hours`.`active_keys` 
FROM `peer_band_hours` 
WHERE `peer_band_hours`.`run_id` = :run_id_1 AND `peer_band_hours`.`model` = :model_1 AND `peer_band_hours`.`hour` >= :hour_1 AND `peer_band_hours`.`hour` < :hour_2 ORDER BY `peer_band_hours`.`hour`
