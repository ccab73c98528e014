"""The UI language: the user's choice, and the texts the vanilla scripts show."""

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    """The language the user picked, else zh_CN (the city's working language)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang") or request.cookies.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def js_messages() -> dict:
    """The texts the vanilla scripts show, in the user's language ({0}, {1}…: values)."""
    from flask_babel import gettext as _

    return {
        "photos": {
            "queued": _("等待上传…"),
            "shrinking": _("正在压缩…"),
            "uploading": _("正在上传"),
            "waitingNetwork": _("网络已断开，等待恢复后自动重试…"),
            "retrying": _("上传失败，{0} 秒后重试（第 {1}/{2} 次）"),
            "network": _("网络不稳定，照片未能上传，请稍后点“重试”"),
            "timeout": _("上传超时（网络太慢），请稍后点“重试”"),
            "server": _("服务器暂时出错，照片未能上传，请稍后点“重试”"),
            "expired": _("登录已过期或页面已失效，请刷新页面后重新上传"),
            "tooLarge": _("照片太大，服务器拒绝接收，请压缩后重试"),
            "tooLargeLocal": _("照片超过 {0} MB，请压缩后重试"),
            "badAnswer": _("服务器返回了无法识别的结果，请点“重试”"),
            "unexpected": _("照片处理出错，请点“重试”或重新选择"),
            "failed": _("上传失败（错误 {0}）"),
            "resumeIn": _("上传中断（已传 {1}%），{0} 秒后自动继续…"),
            "savedWithForm": _("已上传，保存修改时一起保存"),
            "retry": _("重试"),
            "remove": _("删除"),
            "photo": _("照片"),
            "confirmLeave": _("还有照片没有上传成功，确定要离开吗？"),
            "confirmSubmit": _(
                "还有 {0} 张照片正在上传或上传失败，现在提交将不包含这些照片。仍要提交吗？"
            ),
        },
        "uploads": {
            "network": _("网络不稳定，照片未能上传，请稍后点“重试”"),
            "timeout": _("上传超时（网络太慢），请稍后点“重试”"),
            "server": _("服务器暂时出错，照片未能上传，请稍后点“重试”"),
            "expired": _("登录已过期或页面已失效，请刷新页面后重新上传"),
            "tooLarge": _("照片太大，服务器拒绝接收，请压缩后重试"),
            "badAnswer": _("服务器返回了无法识别的结果，请点“重试”"),
            "failed": _("上传失败（错误 {0}）"),
            "photo": _("照片"),
        },
        "scanner": {
            "insecure": _("摄像头只能在安全连接（HTTPS）下使用。请直接输入公示牌上的查询码。"),
            "unsupported": _("此浏览器无法调用摄像头。请直接输入公示牌上的查询码。"),
            "denied": _(
                "未获得摄像头权限。请在浏览器设置中允许使用摄像头，或直接输入公示牌上的查询码。"
            ),
            "missing": _("未找到可用的摄像头。请直接输入公示牌上的查询码。"),
            "busy": _("摄像头正被其他应用占用。请关闭其他应用后重试，或直接输入公示牌上的查询码。"),
            "failed": _("无法打开摄像头。请直接输入公示牌上的查询码。"),
            "noDecoder": _("扫码组件未能加载。请直接输入公示牌上的查询码。"),
            "scanning": _("请将公示牌上的二维码对准取景框"),
            "notOurs": _("这不是放心码。请扫描食品安全信息公示牌上的二维码。"),
            "opening": _("已识别，正在打开……"),
        },
        "offline": {
            "age": _("离线资料更新于 {0}"),
            "none": _("离线资料尚未下载"),
            "pending": _("待上传 {0} 条"),
            "offlineLink": _("离线检查"),
            "otherUser": _("这条检查属于另一位检查员：请该检查员登录后上传（本机数据已保留）"),
            "persistRefused": _(
                "浏览器未允许永久保存：清理浏览器数据会删除未上传的检查，请尽快联网上传。"
            ),
            "lowStorage": _("手机存储空间不足（剩余约 {0} MB），离线照片可能无法保存。"),
            "confirmLogout": _(
                "还有 {0} 条检查未上传。退出后仍保留在本机，重新登录后自动上传。确定退出吗？"
            ),
            "waiting": _("等待网络，恢复后自动上传"),
            "sending": _("正在上传…"),
            "sent": _("已上传"),
            "signedOut": _("登录已过期：请重新登录，待上传的检查会自动上传（本机数据已保留）"),
            "refused": _("服务器未接受："),
            "photoWaiting": _("照片等待上传"),
            "photoFailed": _("照片无法上传："),
            "storageFull": _("存储空间已满，请联系管理员（本机数据已保留）"),
        },
    }


def series(items) -> str:
    """Items joined as the reader's language lists them (、 in Chinese, commas in English)."""
    from flask_babel import gettext as _

    return _("、").join(str(item) for item in items)


def clauses(items) -> str:
    """Sentences or reasons joined by the reader's semicolon (；in Chinese)."""
    from flask_babel import gettext as _

    return _("；").join(str(item) for item in items)


def aside(text) -> str:
    """A parenthetical in the reader's brackets: （…） in Chinese, " (…)" in English."""
    from flask_babel import gettext as _
    from markupsafe import escape

    return escape(_("（%(text)s）")) % {"text": text}


def long_date(day) -> str:
    """A date written out as on a certificate: 2027年03月01日, or 1 March 2027 in English."""
    from flask_babel import format_date, get_locale

    if str(get_locale()).startswith("zh"):
        return day.strftime("%Y年%m月%d日")
    return format_date(day, "d MMMM y")
