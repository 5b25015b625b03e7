SELECT date_trunc('day', campaign_usage_hours.hour) AS day, campaign_usage_hours.model, sum(campaign_usage_hours.calls) AS calls 
FROM campaign_usage_hours 
WHERE campaign_usage_hours.run_id = %(run_id_1)s AND campaign_usage_hours.hour >= %(hour_1)s AND campaign_usage_hours.hour < %(hour_2)s AND campaign_usage_hours.campaign_id = %(campaign_id_1)s AND campaign_usage_hours.model = %(model_1)s GROUP BY date_trunc('day', campaign_usage_hours.hour), campaign_usage_hours.model ORDER BY date_trunc('day', campaign_usage_hours.hour), campaign_usage_hours.model
