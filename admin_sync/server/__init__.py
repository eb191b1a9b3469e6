"""admin_sync/server"""
