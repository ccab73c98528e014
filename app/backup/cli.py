"""`flask backup DEST` and `flask restore SRC`: the archive operations from the command line."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.backup import BackupError
from app.backup.archive import make_backup
from app.backup.restore import restore_backup


def counted(counts: dict[str, int]) -> str:
    """The figures an operator checks first."""
    return _(
        "检查 %(i)d 条，照片记录 %(p)d 条，单位 %(e)d 个，用户 %(u)d 个",
        i=counts.get("inspection", 0),
        p=counts.get("photo", 0),
        e=counts.get("establishment", 0),
        u=counts.get("user", 0),
    )


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Write one backup archive (.tar) to DEST, or a timestamped one into directory DEST."""
    try:
        done = make_backup(current_app._get_current_object(), dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_("备份已写入 %(path)s（%(mb).1f MB）", path=done["path"], mb=done["bytes"] / 2**20))
    click.echo(_("数据库：%(kind)s，版本 %(rev)s；", kind=done["kind"], rev=done["revision"])
               + counted(done["counts"]))  # fmt: skip
    echo_files(done["files"])
    if "secret_key" not in done["instance"]:
        click.echo(
            _("注意：instance/secret_key 不存在（密钥来自环境变量或 config.py），请另行保管密钥")
        )


def echo_files(info: dict) -> None:
    """What happened to the photo store."""
    if info["storage"] == "object":
        click.echo(
            _(
                "照片和签名存放在对象存储中，未包含在备份里：请用对象存储自己的工具备份（如 mc mirror 或存储桶复制）"
            )
        )
        return
    click.echo(_("照片文件 %(p)d 个，签名 %(s)d 个，未完成的上传 %(u)d 个",
                 p=info["photos"], s=info["signatures"], u=info["partial"]))  # fmt: skip
    if info["missing"]:
        click.echo(_("警告：数据库引用的 %(n)d 个文件在照片库中找不到：%(names)s",
                     n=info["missing"], names=", ".join(info["missing_named"])))  # fmt: skip


@click.command("restore")
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
@with_appcontext
def restore_command(src: Path, force: bool):
    """Restore a backup archive into this instance (stop the app servers first)."""
    try:
        done = restore_backup(current_app._get_current_object(), src, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_("已恢复 %(created)s 的备份，数据与清单一致：", created=done["created_at"])
               + counted(done["counts"]))  # fmt: skip
    info = done["files"]
    if info["skipped"]:
        click.echo(
            _("本实例的照片存放在对象存储中：备份里的照片文件未恢复，请用对象存储的工具恢复")
        )
    else:
        click.echo(_("照片文件 %(p)d 个，签名 %(s)d 个，未完成的上传 %(u)d 个",
                     p=info["photos"], s=info["signatures"], u=info["partial"]))  # fmt: skip
    if done["instance"]:
        click.echo(_("已恢复 instance/：%(names)s", names=", ".join(done["instance"])))
    if done["note"]:
        click.echo(done["note"])
