SELECT api_keys.api_key_id, api_keys.account_id, api_keys.created_at, api_keys.revoked_at 
FROM api_keys
