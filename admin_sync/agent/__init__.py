"""admin_sync/agent"""
